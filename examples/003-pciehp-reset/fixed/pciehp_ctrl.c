// SPDX-License-Identifier: GPL-2.0+
/*
 * 003-pciehp-reset, fixed: bringing a slot down. The event handlers still
 * run with ctrl->reset_lock held for read, but unconfiguring the slot
 * drops it around each device's removal - where the driver is unbound
 * under the device lock - and takes it again afterwards, so reset_lock
 * is never held while a device lock is acquired.
 */
/* expect: none */

#include "scenario.h"

#define SAFE_REMOVAL		true
#define SURPRISE_REMOVAL	false

void pciehp_unconfigure_device(struct controller *ctrl, bool presence)
{
	struct pci_bus *parent = ctrl->pcie->port->subordinate;
	struct pci_dev *dev, *temp;

	lockdep_assert_held(&ctrl->reset_lock);

	/* Last on the bus first, so that VFs go before their PF. */
	list_for_each_entry_safe_reverse(dev, temp, &parent->devices, bus_list) {
		pci_dev_get(dev);
		if (!presence)
			pci_dev_set_disconnected(dev, NULL);
		/*
		 * Unbinding takes the device lock, and a slot reset holds
		 * the device lock while it waits for reset_lock: let go of
		 * reset_lock for the unbind.
		 */
		up_read(&ctrl->reset_lock);
		pci_stop_and_remove_bus_device(dev);
		down_read(&ctrl->reset_lock);
		pci_dev_put(dev);
	}
}

static void remove_board(struct controller *ctrl, bool safe_removal)
{
	pciehp_unconfigure_device(ctrl, safe_removal);

	pciehp_power_off_slot(ctrl);
	/* let the slot's power rail settle before anything else happens */
	msleep(1000);
	pciehp_set_indicators(ctrl, PCI_EXP_SLTCTL_PWR_IND_OFF,
			      PCI_EXP_SLTCTL_ATTN_IND_OFF);
}

static void pciehp_disable_slot(struct controller *ctrl, bool safe_removal)
{
	remove_board(ctrl, safe_removal);

	mutex_lock(&ctrl->state_lock);
	ctrl->state = OFF_STATE;
	mutex_unlock(&ctrl->state_lock);
}

void pciehp_handle_disable_request(struct controller *ctrl)
{
	mutex_lock(&ctrl->state_lock);
	if (ctrl->state != ON_STATE) {
		mutex_unlock(&ctrl->state_lock);
		return;
	}
	ctrl->state = POWEROFF_STATE;
	mutex_unlock(&ctrl->state_lock);

	pciehp_disable_slot(ctrl, SAFE_REMOVAL);
}

void pciehp_handle_presence_or_link_change(struct controller *ctrl, u32 events)
{
	bool present;

	mutex_lock(&ctrl->state_lock);
	present = pciehp_card_present_or_link_active(ctrl) > 0;
	if (present || ctrl->state != ON_STATE) {
		mutex_unlock(&ctrl->state_lock);
		return;
	}
	ctrl->state = POWEROFF_STATE;
	mutex_unlock(&ctrl->state_lock);

	ctrl_info(ctrl, "Slot(%u): card removed\n",
		  ctrl->hotplug_slot.pci_slot->number);
	pciehp_disable_slot(ctrl, SURPRISE_REMOVAL);
}
