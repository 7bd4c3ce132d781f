// SPDX-License-Identifier: GPL-2.0-only
/*
 * 002-vfio-kvm, fixed: VFIO device open and close. The first open calls
 * the driver's ->open_device() and the last close its ->close_device();
 * group.c calls both with group->group_lock held and has already taken
 * a reference on the group's VM for device->kvm.
 */
/* expect: none */

#include "scenario.h"

struct vfio_device *vfio_device_get_from_name(struct vfio_group *group,
					      const char *name)
{
	struct vfio_device *device;

	lockdep_assert_held(&group->group_lock);
	list_for_each_entry(device, &group->device_list, group_next)
		if (!strcmp(dev_name(device->dev), name))
			return device;
	return NULL;
}

int vfio_device_open(struct vfio_device *device)
{
	int ret = 0;

	lockdep_assert_held(&device->group->group_lock);

	device->open_count++;
	if (device->open_count == 1 && device->ops->open_device) {
		ret = device->ops->open_device(device);
		if (ret)
			device->open_count--;
	}
	return ret;
}

void vfio_device_close(struct vfio_device *device)
{
	lockdep_assert_held(&device->group->group_lock);

	if (device->open_count == 1 && device->ops->close_device)
		device->ops->close_device(device);
	device->open_count--;
}

int vfio_register_group_dev(struct vfio_device *device)
{
	struct vfio_group *group = device->group;

	if (!device->ops || !group)
		return -EINVAL;

	mutex_lock(&group->group_lock);
	list_add(&device->group_next, &group->device_list);
	mutex_unlock(&group->group_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(vfio_register_group_dev);

void vfio_unregister_group_dev(struct vfio_device *device)
{
	struct vfio_group *group = device->group;

	mutex_lock(&group->group_lock);
	WARN_ON(device->open_count);
	list_del(&device->group_next);
	mutex_unlock(&group->group_lock);
}
EXPORT_SYMBOL_GPL(vfio_unregister_group_dev);
