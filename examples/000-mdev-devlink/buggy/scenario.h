/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 000-mdev-devlink, buggy twin: types shared by the mdev core, the devlink
 * core and the "nxe" NIC driver (an invented device whose sub-functions
 * are mediated devices and which has a devlink eswitch).
 */
#ifndef _EXAMPLE_000_BUGGY_SCENARIO_H
#define _EXAMPLE_000_BUGGY_SCENARIO_H

#include "../../include/kernel_stub.h"

/* ---- mdev core ---- */
struct mdev_device;

struct mdev_parent_ops {
	struct module *owner;
	int (*create)(struct mdev_device *mdev);
	int (*remove)(struct mdev_device *mdev);
};

struct mdev_parent {
	struct device *dev;
	const struct mdev_parent_ops *ops;
	struct kref ref;
	struct list_head next;
	/* Synchronises create/remove with parent unregistration. */
	struct rw_semaphore unreg_sem;
};

struct mdev_device {
	struct device dev;
	struct mdev_parent *parent;
	guid_t uuid;
	void *driver_data;
	bool active;
};

static inline struct mdev_device *to_mdev_device(struct device *dev)
{
	return container_of(dev, struct mdev_device, dev);
}

int mdev_register_device(struct device *dev, const struct mdev_parent_ops *ops);
void mdev_unregister_device(struct device *dev);

/* mdev core internals, shared by mdev_core.c and mdev_device.c */
bool mdev_get_parent(struct mdev_parent *parent);
void mdev_put_parent(struct mdev_parent *parent);
void mdev_device_remove_common(struct mdev_device *mdev);

/* ---- devlink ---- */
struct devlink;

enum devlink_eswitch_mode {
	DEVLINK_ESWITCH_MODE_LEGACY,
	DEVLINK_ESWITCH_MODE_SWITCHDEV,
};

struct devlink_ops {
	int (*eswitch_mode_get)(struct devlink *devlink, u16 *mode);
	int (*eswitch_mode_set)(struct devlink *devlink, u16 mode);
};

struct devlink {
	struct list_head list;
	const struct devlink_ops *ops;
	struct device *dev;
	u32 index;
	bool registered;
	char priv[];
};

struct genl_info {
	u8 cmd;
	u32 devlink_index;
	u16 eswitch_mode;
};

static inline void *devlink_priv(struct devlink *devlink)
{
	return &devlink->priv;
}

struct devlink *devlink_alloc(const struct devlink_ops *ops, size_t priv_size,
			      struct device *dev);
void devlink_register(struct devlink *devlink);
void devlink_unregister(struct devlink *devlink);
void devlink_free(struct devlink *devlink);

/* ---- nxe NIC driver ---- */
enum nxe_esw_mode {
	NXE_ESW_LEGACY,
	NXE_ESW_OFFLOADS,
};

struct nxe_eswitch {
	enum nxe_esw_mode mode;
	u16 nvfs;
};

struct nxe_dev {
	struct device *dev;
	void __iomem *bar;
	struct devlink *devlink;
	struct nxe_eswitch esw;
};

struct nxe_sf {
	struct nxe_dev *ndev;
	struct devlink *devlink;
	struct work_struct teardown_work;
	u32 hw_id;
};

#define NXE_BAR_BASE		0xfe000000UL
#define NXE_BAR_LEN		0x10000
#define NXE_CAP_NVFS		0x0010
#define NXE_SF_CTRL(id)		(0x4000 + 8 * (id))

int nxe_sf_parent_register(struct nxe_dev *ndev);
void nxe_sf_parent_unregister(struct nxe_dev *ndev);

#endif /* _EXAMPLE_000_BUGGY_SCENARIO_H */
